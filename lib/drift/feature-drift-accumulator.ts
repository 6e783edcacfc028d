import type { BaselineFeature } from './baseline';
import { populationStabilityIndex } from './psi';
import { upperBound } from './sorted-search';

/** PSI and KS of one feature over the values seen so far. */
export interface FeatureDrift {
  readonly feature: string;
  /** Finite values seen (non-finite ones are counted in `missing` and left out of both statistics). */
  readonly samples: number;
  readonly missing: number;
  /** Undefined until at least one finite value has been seen. */
  readonly psi?: number;
  readonly ksStatistic?: number;
}

/**
 * Compares a stream of captured values of one feature with its baseline, in memory bounded by the baseline (not by
 * the stream): PSI over the baseline's bins and the exact two-sample KS statistic D against the baseline's sorted
 * sample, equal to scipy's `ks_2samp(sample, values).statistic`.
 *
 * How: the baseline's sample values and bin edges, merged and de-duplicated, are breakpoints B0 < … < Bm-1. Every
 * value lands in one slot: below B0, equal to some Bj, or strictly between Bj and Bj+1 (or above Bm-1). Both empirical
 * CDFs are constant on each such open interval except the captured one rising inside it, so the supremum of
 * |F_ref − F_captured| over the reals — which is D — is reached at a slot's end: D is a max over slot counts alone.
 * Each slot lies inside one PSI bin (edges are breakpoints), so the bin counts are sums of slot counts.
 * Finding a value's slot is a lookup in a uniform grid over [B0, Bm-1], fine enough (16 cells per breakpoint) that a
 * cell rarely holds more than one breakpoint: then the slot is computed from that one comparison without a branch,
 * and only a crowded cell (a tall peak of the distribution) is binary-searched.
 */
export class FeatureDriftAccumulator {
  readonly feature: string;
  private readonly breaks: Float64Array;
  /** Slot 0: below B0; slot 2j+1: equal to Bj; slot 2j+2: between Bj and Bj+1 (above Bm-1 for the last). */
  private readonly slotCounts: Float64Array;
  private readonly grid: Uint16Array | Int32Array;
  private readonly gridScale: number;
  private readonly gridCells: number;
  private missing = 0;

  constructor(private readonly baseline: BaselineFeature) {
    this.feature = baseline.name;
    this.breaks = mergedBreakpoints(baseline.sample.values, baseline.bins.edges);
    this.slotCounts = new Float64Array(2 * this.breaks.length + 1);
    const span = this.breaks[this.breaks.length - 1] - this.breaks[0];
    const cells = Math.min(MAX_GRID_CELLS, nextPowerOfTwo(GRID_CELLS_PER_BREAKPOINT * this.breaks.length));
    // A span of subnormals makes cells/span infinite, one of ±1.8e308 makes it 0: one cell, plain binary search.
    const usable = span > 0 && Number.isFinite(cells / span) && cells / span > 0;
    this.gridCells = usable ? cells : 1;
    this.gridScale = usable ? cells / span : 0;
    this.grid = this.buildGrid();
  }

  /**
   * Adds `count` values read from `data` at `offset`, `offset + stride`, …: a column of a row-major tensor is
   * `add(data, column, columns, rows)`.
   */
  add(data: ArrayLike<number>, offset = 0, stride = 1, count = Math.ceil((data.length - offset) / stride)): void {
    const { breaks, slotCounts, grid, gridScale } = this;
    const first = breaks[0];
    const lastIndex = breaks.length - 1;
    const last = breaks[lastIndex];
    let missing = 0;
    for (let k = 0, i = offset; k < count; k++, i += stride) {
      const x = data[i];
      if (x - x !== 0) {
        missing++; // NaN and ±Infinity
        continue;
      }
      let slot: number;
      if (x < first) slot = 0;
      else if (x >= last) slot = x === last ? 2 * lastIndex + 1 : 2 * lastIndex + 2;
      else {
        const cell = ((x - first) * gridScale) | 0;
        let lo = grid[cell];
        let hi = grid[cell + 1];
        if (hi - lo <= 1) {
          // At most one breakpoint here; with none, breaks[lo] is the next one up and both comparisons are false.
          const next = breaks[lo];
          slot = 2 * lo + +(x >= next) + +(x > next);
        } else {
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (breaks[mid] <= x) lo = mid + 1;
            else hi = mid;
          }
          slot = breaks[lo - 1] === x ? 2 * lo - 1 : 2 * lo;
        }
      }
      slotCounts[slot]++;
    }
    this.missing += missing;
  }

  result(): FeatureDrift {
    const samples = this.samples();
    if (samples === 0) return { feature: this.feature, samples, missing: this.missing };
    return { feature: this.feature, samples, missing: this.missing, psi: this.psi(), ksStatistic: this.ksStatistic(samples) };
  }

  private samples(): number {
    let total = 0;
    for (const count of this.slotCounts) total += count;
    return total;
  }

  private psi(): number {
    const { edges, counts } = this.baseline.bins;
    const actual = new Float64Array(counts.length);
    let bin = 0;
    for (let slot = 0; slot < this.slotCounts.length; slot++) {
      // Slot 2j+1 holds exactly Bj: it opens bin `bin + 1` when Bj is the next edge.
      if (slot % 2 === 1 && bin < edges.length && this.breaks[(slot - 1) / 2] === edges[bin]) bin++;
      actual[bin] += this.slotCounts[slot];
    }
    return populationStabilityIndex(counts, actual);
  }

  private ksStatistic(samples: number): number {
    const sample = this.baseline.sample.values;
    let captured = 0;
    let reference = 0;
    let d = 0;
    for (let slot = 0; slot < this.slotCounts.length; slot++) {
      if (slot % 2 === 1) reference = upperBound(sample, this.breaks[(slot - 1) / 2], reference);
      captured += this.slotCounts[slot];
      d = Math.max(d, Math.abs(reference / sample.length - captured / samples));
    }
    return d;
  }

  /**
   * grid[c] = breakpoints whose cell is below c, so a value in cell c has its upper bound in [grid[c], grid[c+1]]. A
   * cell is `(x − B0) × scale` truncated, the same for values and breakpoints (monotone in x, so a breakpoint in a
   * lower cell is below every value of a higher one); rounding can put a value just below Bm-1 in cell `gridCells`,
   * hence the two entries past it.
   */
  private buildGrid(): Uint16Array | Int32Array {
    // Half the cache footprint whenever the indexes fit (any sample up to 65,535 breakpoints).
    const grid = this.breaks.length <= 0xffff ? new Uint16Array(this.gridCells + 2) : new Int32Array(this.gridCells + 2);
    const first = this.breaks[0];
    let j = 0;
    for (let cell = 0; cell < grid.length; cell++) {
      while (j < this.breaks.length && (((this.breaks[j] - first) * this.gridScale) | 0) < cell) j++;
      grid[cell] = j;
    }
    return grid;
  }
}

function mergedBreakpoints(sample: readonly number[], edges: readonly number[]): Float64Array {
  const all = Float64Array.from([...sample, ...edges]).sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[distinct - 1]) all[distinct++] = all[i]!;
  return all.slice(0, distinct);
}

/** Cells per breakpoint: at 16, a cell of a smooth distribution's densest part rarely holds two breakpoints. */
const GRID_CELLS_PER_BREAKPOINT = 16;
/** 512 KiB of 16-bit cells: fine for a 10,000-value sample, and within a core's cache. */
const MAX_GRID_CELLS = 1 << 18;

function nextPowerOfTwo(n: number): number {
  let power = 1;
  while (power < n) power *= 2;
  return power;
}
