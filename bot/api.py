"""The JSON API for the office's own systems (Bearer STAFF_API_TOKEN)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
