"""`python -m ldn_evidence` runs the `ldn` command line."""

from .cli import main

if __name__ == "__main__":
    main()
