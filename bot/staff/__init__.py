"""The staff web at /staff."""
from __future__ import annotations

from flask import Blueprint


def staff_blueprint() -> Blueprint:
    return Blueprint("staff", __name__, url_prefix="/staff")
