"""The inbox: threads staff answer (handoff, complaint, home visit); see feature.py."""
