"""recon: reconcile OCN 050 IP phone call charges against the invoice."""

__version__ = "0.1.0"
