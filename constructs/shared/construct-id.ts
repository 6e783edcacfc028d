/** A configured name as a stable PascalCase construct ID part: `customer-churn-features` → `CustomerChurnFeatures`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
