"""戶政小幫手: the LINE bot of a household-registration office."""
from bot.app import create_app

__all__ = ["create_app"]
