"""recon: reconcile OCN 050 IP phone call charges against the invoice."""

__version__ = "0.1.0"


def frames(folder, config=None):
    """A year folder as pandas DataFrames (months, checks, calls; integer columns): see recon.notebook."""
    from pathlib import Path

    from recon.notebook import frames as read_frames

    return read_frames(Path(folder), Path(config) if config else None)
