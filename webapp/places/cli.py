"""`flask geo ...`: geographic data, such as the municipal boundary import."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from geo.boundaries import BoundaryError, BoundaryFile, Fields
from webapp.errors import AppError
from webapp.places.boundaries import ImportSummary, import_boundaries as run_import


@click.group("geo")
def group():
    """Geographic data."""


@group.command("import-boundaries")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--code-field", default="code", show_default=True, help="Attribute with the municipality code.")
@click.option("--name-field", default="name", show_default=True, help="Attribute with the Korean name.")
@click.option("--name-en-field", default="name_eng", show_default=True,
              help='Attribute with the English name ("" if the file has none).')
@click.option("--province-field", default="",
              help="Attribute with the province name (default: none; province is left empty).")
@click.option("--encoding", default=None,
              help="Attribute text encoding (default: the .cpg file, else UTF-8 with a CP949 fallback).")
@click.option("--srid", type=int, default=None,
              help="EPSG code of the coordinates; overrides the .prj, required for a Shapefile without one.")
@with_appcontext
def import_boundaries(path, code_field, name_field, name_en_field, province_field, encoding, srid):
    """Import municipal boundaries from GeoJSON or a Shapefile; re-importing updates by code."""
    fields = Fields(code_field, name_field, name_en=name_en_field or None, province=province_field or None)
    try:
        source = BoundaryFile(path, fields, encoding=encoding, srid=srid)
        with click.progressbar(source, length=len(source), label=f"Reading {path.name}") as features:
            summary = run_import(features)
    except (BoundaryError, AppError) as err:
        raise click.ClickException(f"{err} - nothing was imported.") from err
    for line in _summary_lines(len(source), summary):
        click.echo(line)


def _summary_lines(total: int, summary: ImportSummary) -> list[str]:
    lines = [
        f"{total} features: {len(summary.inserted)} inserted, {len(summary.updated)} updated, "
        f"{len(summary.repaired)} repaired, {len(summary.skipped)} skipped."
    ]
    if summary.updated:
        lines.append(f"Updated ({len(summary.updated)}): {_some(summary.updated)}")
    if summary.repaired:
        lines.append(f"Repaired ({len(summary.repaired)}):")
        lines.extend(f"  {code}: {'; '.join(notes)}" for code, notes in summary.repaired.items())
    reasons: dict[str, list[str]] = {}
    for code, reason in summary.skipped.items():
        reasons.setdefault(reason, []).append(code)
    for reason, codes in reasons.items():
        lines.append(f"Skipped ({len(codes)}, {reason}): {_some(codes)}")
    return lines


def _some(codes: list[str], limit: int = 20) -> str:
    # A re-import skips every unchanged row; hundreds of codes would bury the rest of the summary.
    shown = ", ".join(codes[:limit])
    return shown if len(codes) <= limit else f"{shown}, ... and {len(codes) - limit} more"
