"""An exact raster accelerator for "which of these polygons holds the point?".

Testing a million points against 32 detailed state polygons with GEOS costs
seconds. Most points, though, lie deep inside one polygon. So we lay a regular
grid over the polygons and, once, at construction:

1. mark every cell that any polygon ring (exterior or hole) passes through
   ("boundary cells"; rings are densified first so each segment spans at most
   2x2 cells, and each segment's bounding box is widened by a hair so a ring
   running exactly along a cell edge marks both sides);
2. label the connected components of the remaining cells (scipy.ndimage): no ring
   crosses a component, so the whole component lies in one polygon (or none),
   and one exact test of a representative point labels all of it.

At query time a point costs one array lookup; only points in boundary cells get
an exact GEOS test, and only against the polygons whose rings touch that cell
(kept as a bitmask per boundary cell). The answer is therefore identical to
testing every polygon exactly, just much faster. Polygons must not overlap (if
they do, the first in order wins in boundary cells only, so don't).

:meth:`LabelGrid.lookup` does this for arrays; :meth:`LabelGrid.lookup_one` does
the same arithmetic for one point in plain Python, because for one point numpy's
per-call overhead costs far more than the lookup itself.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy import ndimage

OUTSIDE = -1
_MIXED = -2
_EPS = 1e-9


class LabelGrid:
    """Map points to the index of the (non-overlapping) polygon holding them, or -1."""

    def __init__(self, geometries: list, resolution: float = 0.01) -> None:
        if not 0 < len(geometries) <= 63:
            raise ValueError("LabelGrid takes 1 to 63 polygons")
        self.geometries = [shapely.make_valid(g) if not g.is_valid else g for g in geometries]
        for g in self.geometries:
            shapely.prepare(g)
        self.res = float(resolution)
        xmin, ymin, xmax, ymax = shapely.total_bounds(self.geometries)
        self.x0, self.y0 = xmin - self.res, ymin - self.res
        self.nx = int(np.ceil((xmax - self.x0) / self.res)) + 2
        self.ny = int(np.ceil((ymax - self.y0) / self.res)) + 2
        self._build()
        # Python floats for lookup_one: numpy scalars make each operation ~10x slower.
        self._x0f, self._y0f = float(self.x0), float(self.y0)

    # --- construction -------------------------------------------------------------
    def _ring_segments(self) -> tuple[np.ndarray, np.ndarray]:
        """(4, n) segment endpoints and their polygon labels, densified to <= res."""
        starts, labels = [], []
        for label, geom in enumerate(self.geometries):
            rings = shapely.get_rings(shapely.get_parts(geom))
            rings = shapely.segmentize(rings, max_segment_length=self.res * 0.9)
            coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
            same = ring_idx[1:] == ring_idx[:-1]
            seg = np.column_stack([coords[:-1][same], coords[1:][same]])
            starts.append(seg)
            labels.append(np.full(len(seg), label, dtype=np.int64))
        return np.concatenate(starts).T, np.concatenate(labels)

    def _build(self) -> None:
        (ax, ay, bx, by), seg_label = self._ring_segments()
        i0 = self._ix(np.minimum(ax, bx) - _EPS)
        i1 = self._ix(np.maximum(ax, bx) + _EPS)
        j0 = self._iy(np.minimum(ay, by) - _EPS)
        j1 = self._iy(np.maximum(ay, by) + _EPS)
        # After densifying, i1 - i0 <= 1 and j1 - j0 <= 1: four corners cover the box.
        assert int((i1 - i0).max(initial=0)) <= 1 and int((j1 - j0).max(initial=0)) <= 1
        cells = np.concatenate([i * self.ny + j for i in (i0, i1) for j in (j0, j1)])
        cell_labels = np.tile(seg_label, 4)
        keys = np.unique(cells * 64 + cell_labels)  # sorted, so cells come grouped
        cell_ids, first = np.unique(keys // 64, return_index=True)
        bits = np.bitwise_or.reduceat(np.left_shift(1, keys % 64).astype(np.uint64), first)
        self._mixed_cells, self._mixed_bits = cell_ids, bits

        mixed: np.ndarray = np.zeros(self.nx * self.ny, dtype=bool)
        mixed[cell_ids] = True
        mixed = mixed.reshape(self.nx, self.ny)
        components, n = ndimage.label(~mixed)
        grid = np.full((self.nx, self.ny), _MIXED, dtype=np.int8)
        if n:
            flat = components.ravel()
            _, rep = np.unique(flat, return_index=True)
            rep = rep[flat[rep] > 0]  # one cell per component (component 0 = mixed)
            ri, rj = np.divmod(rep, self.ny)
            comp_label = self._exact(self.x0 + (ri + 0.5) * self.res,
                                     self.y0 + (rj + 0.5) * self.res)
            lut = np.full(n + 1, _MIXED, dtype=np.int8)
            lut[flat[rep]] = comp_label
            grid = lut[components]
        self.grid = grid
        self.mixed_fraction = float(mixed.mean())

    def _exact(self, x: np.ndarray, y: np.ndarray, bits: np.ndarray | None = None) -> np.ndarray:
        """Exact GEOS test, restricted to candidate polygons when ``bits`` is given."""
        out = np.full(len(x), OUTSIDE, dtype=np.int8)
        for label, geom in enumerate(self.geometries):
            todo = out == OUTSIDE
            if bits is not None:
                todo &= (bits >> np.uint64(label)) & np.uint64(1) == 1
            if todo.any():
                hit = shapely.contains_xy(geom, x[todo], y[todo])
                out[np.flatnonzero(todo)[hit]] = label
        return out

    # --- query --------------------------------------------------------------------
    def _ix(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf/huge: out of range
            return np.floor((x - self.x0) / self.res).astype(np.int64)

    def _iy(self, y: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", over="ignore"):
            return np.floor((y - self.y0) / self.res).astype(np.int64)

    def lookup(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """int8 label per point (index into ``geometries``), -1 where none holds it."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        i, j = self._ix(x), self._iy(y)
        inside = (i >= 0) & (i < self.nx) & (j >= 0) & (j < self.ny)  # False for NaN too
        out = np.full(x.shape, OUTSIDE, dtype=np.int8)
        if inside.all():
            out = self.grid[i, j]
        else:
            out[inside] = self.grid[i[inside], j[inside]]
        mixed = np.flatnonzero(out == _MIXED)
        if mixed.size:
            cid = i[mixed] * self.ny + j[mixed]
            bits = self._mixed_bits[np.searchsorted(self._mixed_cells, cid)]
            out[mixed] = self._exact(x[mixed], y[mixed], bits)
        return out

    def lookup_one(self, x: float, y: float) -> int:
        """``lookup`` for one point, same answer, without numpy's per-array overhead.

        ``floor(q)`` lies in ``[0, n)`` exactly when ``0 <= q < n``, so the range
        test on the unfloored quotient is ``_ix``'s (NaN and inf fail it too).
        Boundary cells find their candidate bitmask by binary search rather than a
        dict: a dict costs megabytes for ~50k cells and saves under a microsecond
        next to the GEOS test that follows.
        """
        x, y = float(x), float(y)
        qx = (x - self._x0f) / self.res
        qy = (y - self._y0f) / self.res
        if not (0.0 <= qx < self.nx and 0.0 <= qy < self.ny):
            return OUTSIDE
        i, j = int(qx), int(qy)  # truncation is floor for q >= 0
        cell = self.grid.item(i, j)
        if cell != _MIXED:
            return cell
        bits = int(self._mixed_bits[self._mixed_cells.searchsorted(i * self.ny + j)])
        for label, geom in enumerate(self.geometries):  # first wins, as in _exact
            if bits >> label & 1 and shapely.contains_xy(geom, x, y):
                return label
        return OUTSIDE
