"""The portfolio file format (METHOD §14), declared once like the scenario format.

A portfolio reuses the scenario's sections (``timeline``, ``financing``,
``risks``, ``simulation``); only the project list and the flags are its own.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from ..scenario.schema import F, Financing, Model, Risk, Simulation, Timeline


class ProjectRef(Model):
    """One project of the platform: a scenario file."""

    id: str = F(kind="id", desc="identifier, unique among projects; risk targets start with it")
    file: str = F(kind="text", desc="scenario file, relative to the portfolio file (its extends are followed)")


class PortfolioSchema(Model):
    """A platform carrying several projects (平台统筹, METHOD §14)."""

    fcfinance: Literal[1] = F(kind="int", desc="format version")
    portfolio: Literal[True] = F(kind="text", desc="marks the file as a portfolio")
    name: str = F(kind="text", desc="platform name")
    description: str | None = F(None, kind="text", desc="free text")
    timeline: Timeline = F(kind="section", desc="the platform's grid, reporting and discounting; "
                                                "every project's timeline must lie inside it")
    projects: list[ProjectRef] = F(kind="list", min_length=1, desc="the projects, in order")
    financing: Financing | None = F(None, kind="section",
                                    desc="platform bonds, and the gap and deposit rates of the one walk")
    risks: list[Risk] = F([], kind="list", desc="platform risks; targets are <project id>.<path> "
                                                "or *.<path>")
    correlations: list[list[str | float]] = F(
        [], kind="list", desc="[[id_a, id_b, rho], ...]; projects' own risks as <project id>.<risk id>")
    include_project_risks: bool = F(True, kind="text", desc="include each project's own risks")
    simulation: Simulation = Field(default_factory=Simulation, description="Monte Carlo settings",
                                   json_schema_extra={"unit": None, "kind": "section"})

    model_config = ConfigDict(extra="forbid", strict=True)


def split_target(target: str) -> tuple[str, str]:
    """``<project id>.<scenario path>`` as (project id or ``*``, path); ('', '') when malformed."""
    head, dot, rest = target.partition(".")
    return (head, rest) if dot and head and rest else ("", "")


def risk_ids(portfolio_model: PortfolioSchema, projects: dict[str, Any]) -> list[str]:
    """Column order of the platform's risks: each project's own (``pid.rid``, in file order), then the platform's."""
    ids = []
    if portfolio_model.include_project_risks:
        ids += [f"{pid}.{r.id}" for pid, s in projects.items() for r in s.model.risks]
    return ids + [r.id for r in portfolio_model.risks]
