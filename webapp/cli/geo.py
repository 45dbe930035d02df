"""`flask geo ...`: boundary import (to be completed)."""
import click


@click.group()
def geo():
    """Geographic data."""
