#!/usr/bin/env python
"""Same as the `sunshine` console script."""
from sunshine.__main__ import main

if __name__ == "__main__":
    main()
