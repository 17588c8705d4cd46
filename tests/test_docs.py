"""Documentation that is generated must not drift from its source."""

from __future__ import annotations

from fcfinance.scenario.reference import format_reference
from tests.conftest import ROOT


def test_format_reference_is_current():
    """docs/scenario-format.md is `fcfinance schema` output; regenerate it when the schema changes."""
    page = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert page == format_reference(), "run: fcfinance schema > docs/scenario-format.md"


def test_every_field_has_a_description():
    from fcfinance.scenario.fields import iter_fields
    from fcfinance.scenario.schema import ScenarioSchema

    missing = [path for path, info, _ in iter_fields(ScenarioSchema) if not info.description]
    assert not missing
