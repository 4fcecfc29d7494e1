/**
 * How a region-parallel run cuts the mesh: P bands of whole rows, region k holding rows
 * floor(k H / P) .. floor((k+1) H / P) - 1, so that a region borders at most two others
 * and at most W links cross each border in each direction.
 */

/** The regions of a W x H mesh cut into `regions` bands of rows. */
export class RegionPlan {
  /** Region of each row. */
  private readonly rowRegion: Int32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly regions: number,
  ) {
    if (!(Number.isInteger(regions) && regions >= 1 && regions <= height)) throw new Error(`a ${width}x${height} mesh cannot be cut into ${regions} bands of rows`);
    this.rowRegion = new Int32Array(height);
    for (let k = 0; k < regions; k++) {
      for (let y = Math.floor((k * height) / regions); y < Math.floor(((k + 1) * height) / regions); y++) this.rowRegion[y] = k;
    }
  }

  /** Region simulating tile (router and core) t = y * width + x. */
  regionOf(t: number): number {
    return this.rowRegion[Math.floor(t / this.width)] as number;
  }

  /** Messages one region can send another in one cycle: a flit and a credit per link of their border. */
  get borderCapacity(): number {
    return 2 * this.width;
  }
}
