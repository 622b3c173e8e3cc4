"""Executes a notebook with Debian's nbclient and our kernelspec, as `jupyter nbconvert --execute` does.
Usage: nbclient_run.py IN.ipynb OUT.ipynb (the notebook's folder is the kernel's working directory)."""
import os
import sys

import nbformat
from nbclient import NotebookClient

source, target = sys.argv[1], sys.argv[2]
nb = nbformat.read(source, as_version=4)
NotebookClient(nb, kernel_name=os.environ.get("SENTENCE_TFJS_KERNEL_NAME", "sentence-tfjs"), timeout=120,
               resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}}).execute()
nbformat.write(nb, target)
