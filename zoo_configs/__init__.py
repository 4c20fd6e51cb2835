"""One ml_collections config per zoo model; each holds only what differs from base.py."""
