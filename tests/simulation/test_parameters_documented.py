"""Every scenario parameter is named in docs/simulation.md, with its source in the model."""

from __future__ import annotations

from pathlib import Path

from garita.simulation.scenario import Adjust, Demand, Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"


def test_every_parameter_is_documented_with_a_description():
    text = DOC.read_text("utf-8")
    for model in (Scenario, Demand, Adjust):
        for name, field in model.model_fields.items():
            assert f"`{name}`" in text, f"name {model.__name__}.{name} in docs/simulation.md"
            assert field.description, f"give {model.__name__}.{name} a description (its source)"
