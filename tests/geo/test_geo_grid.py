"""LabelGrid must give exactly the answer of testing every polygon, holes and edges included."""

from __future__ import annotations

import numpy as np
import shapely

from garita.geo.grid import LabelGrid


def _brute(geoms, x, y):
    out = np.full(len(x), -1)
    for label, geom in enumerate(geoms):
        out[(out == -1) & shapely.contains_xy(geom, x, y)] = label
    return out


def test_grid_equals_brute_force_with_holes_islands_and_long_edges():
    ring = shapely.Polygon([(0, 0), (3, 0), (3, 3), (0, 3)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    island = shapely.Polygon([(1.2, 1.2), (1.8, 1.2), (1.5, 1.8)])  # inside the hole
    # A long diagonal edge (like the Sonora-Arizona line) and a cell-aligned edge.
    wedge = shapely.Polygon([(3, 0), (7.3, 2.9), (3, 3)])
    aligned = shapely.box(3.0, 3.0, 4.0, 4.0)
    geoms = [ring, island, wedge, aligned]
    grid = LabelGrid(geoms, resolution=0.25)
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 8, 200_000)
    y = rng.uniform(-1, 5, 200_000)
    # plus points exactly on cell edges and polygon vertices
    ex, ey = np.meshgrid(np.arange(-1, 8, 0.25), np.arange(-1, 5, 0.25))
    x = np.concatenate([x, ex.ravel()])
    y = np.concatenate([y, ey.ravel()])
    assert np.array_equal(grid.lookup(x, y), _brute(geoms, x, y))
    assert 0 < grid.mixed_fraction < 0.5


def test_grid_handles_nan_and_empty():
    grid = LabelGrid([shapely.box(0, 0, 1, 1)], resolution=0.1)
    assert list(grid.lookup(np.array([np.nan, 0.5, 0.5]), np.array([0.5, np.nan, 0.5]))) == [
        -1, -1, 0]
    assert grid.lookup(np.array([]), np.array([])).shape == (0,)
