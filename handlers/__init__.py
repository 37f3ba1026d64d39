"""Conversation features: each module is plain functions of (context, input) -> outcome, plus its routes."""
