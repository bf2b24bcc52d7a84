"""`python -m recon`: the same command as `recon`."""
from recon.cli import main

if __name__ == "__main__":  # a spawned worker process imports this module again, and must not run it
    main(prog_name="recon")
