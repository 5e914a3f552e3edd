/**
 * The square of modules a symbol is built in: which modules are dark, and which belong to a
 * function pattern (or to the format and version information) and so are never data or masked.
 */

/** A symbol under construction, row-major: the module at (row, col) is index `row * size + col`. */
export interface ModuleGrid {
  /** Modules per side. */
  readonly size: number;
  /** 1 = dark, 0 = light. */
  readonly dark: Uint8Array;
  /** 1 = function pattern or format/version information: skipped by data placement and masking. */
  readonly reserved: Uint8Array;
}

/** An all-light grid with nothing reserved. */
export function emptyGrid(size: number): ModuleGrid {
  return { size, dark: new Uint8Array(size * size), reserved: new Uint8Array(size * size) };
}

/** Sets a module to dark or light and reserves it for a function pattern. */
export function setFunctionModule(grid: ModuleGrid, row: number, col: number, dark: boolean): void {
  const i = row * grid.size + col;
  grid.dark[i] = dark ? 1 : 0;
  grid.reserved[i] = 1;
}

/** A copy that can be changed without touching `grid`. */
export function copyGrid(grid: ModuleGrid): ModuleGrid {
  return { size: grid.size, dark: grid.dark.slice(), reserved: grid.reserved.slice() };
}
