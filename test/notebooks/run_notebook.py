"""Executes a notebook with Debian's nbclient and the installed `sentence-tfjs` kernelspec, as
`jupyter nbconvert --execute` does, and writes the executed copy even when a cell fails (the test reads
the error from it).

Usage: run_notebook.py IN.ipynb OUT.ipynb CELL_TIMEOUT_SECONDS
The notebook's folder is the kernel's working directory, so notebooks open `data/...` relative to it.
Exit code: 0 when every cell ran, 1 when a cell failed or timed out."""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

source, target, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
nb = nbformat.read(source, as_version=4)
client = NotebookClient(nb, kernel_name="sentence-tfjs", timeout=timeout,
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})
status = 0
try:
    client.execute()
except (CellExecutionError, CellTimeoutError) as e:
    print(f"{os.path.basename(source)}: {e}", file=sys.stderr)
    status = 1
finally:
    nbformat.write(nb, target)
sys.exit(status)
