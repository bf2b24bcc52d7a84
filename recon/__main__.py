"""`python -m recon`: the same command as `recon`."""
from recon.cli import main

main(prog_name="recon")
