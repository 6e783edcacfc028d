import { z } from 'zod';

/** What high availability means for the network: a zone and a NAT gateway per zone, this many zones at least. */
export const HIGH_AVAILABILITY_ZONES = 3;

/**
 * Availability zones the environment's VPC spans, e.g. `["us-east-1a", "us-east-1b", "us-east-1c"]`: named in the
 * config so that an environment-agnostic synth gets exactly these zones (CDK cannot look zones up without an account
 * and region, and then spreads a VPC over two). They must belong to the region the stacks are deployed to.
 */
export const availabilityZonesSchema = z
  .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'an availability zone name such as us-east-1a'))
  .min(2, 'at least 2 zones (load balancers need two)')
  .refine((zones) => new Set(zones).size === zones.length, 'each zone once')
  .refine((zones) => new Set(zones.map(regionOfZone)).size <= 1, 'zones of one region');

/** `us-east-1a` → `us-east-1`. */
export function regionOfZone(zone: string): string {
  return zone.slice(0, -1);
}

interface ZoneFields {
  readonly highAvailability: boolean;
  readonly region?: string;
  readonly availabilityZones?: readonly string[];
}

/** Cross-field rules: a highly available environment names three zones; the zones lie in the configured region. */
export function checkAvailabilityZones(env: ZoneFields, ctx: z.RefinementCtx): void {
  const zones = env.availabilityZones;
  if (env.highAvailability && (zones === undefined || zones.length < HIGH_AVAILABILITY_ZONES)) {
    ctx.addIssue({
      code: 'custom',
      path: ['availabilityZones'],
      message: `highAvailability needs at least ${HIGH_AVAILABILITY_ZONES} availability zones (one NAT gateway each), e.g. ["us-east-1a","us-east-1b","us-east-1c"]`,
    });
  }
  if (zones !== undefined && env.region !== undefined) {
    zones.forEach((zone, index) => {
      if (regionOfZone(zone) !== env.region) {
        ctx.addIssue({ code: 'custom', path: ['availabilityZones', index], message: `must be a zone of region ${env.region}` });
      }
    });
  }
}
