"""Shared helpers for the kernel tests that drive the kernel through Debian's jupyter_client.

The Node test wrappers set JUPYTER_PATH to a temporary dir holding our kernelspec (installed with
`sentence-tfjs-kernel install --prefix`), and JUPYTER_RUNTIME_DIR/JUPYTER_DATA_DIR to temporary dirs.
"""
import os
import re
import uuid
from queue import Empty

from jupyter_client.manager import KernelManager

KERNEL_NAME = os.environ.get("SENTENCE_TFJS_KERNEL_NAME", "sentence-tfjs")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def new_manager(**kwargs):
    """A KernelManager for our kernel whose connection file lives in JUPYTER_RUNTIME_DIR (the test's temp dir)."""
    runtime = os.environ.get("JUPYTER_RUNTIME_DIR")
    if runtime and "connection_file" not in kwargs:
        kwargs["connection_file"] = os.path.join(runtime, f"kernel-{uuid.uuid4()}.json")
    return KernelManager(kernel_name=KERNEL_NAME, **kwargs)


def start(log_path=None, km=None):
    """Starts a kernel (the kernel's stderr, its log, goes to log_path) and a ready client: (km, kc)."""
    km = km or new_manager()
    if log_path:
        with open(log_path, "w") as log:  # the kernel process keeps its own copy of the descriptor
            km.start_kernel(stderr=log)
    else:
        km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def shell_reply(kc, msg_id, timeout):
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def collect(kc, msg_id, timeout, until="idle"):
    """IOPub messages of a request: [(msg_type, content)] without status/execute_input, up to the idle
    status, or up to and including the first message of type `until`."""
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            return outputs
        if kind not in ("status", "execute_input"):
            outputs.append((kind, msg["content"]))
        if kind == until:
            return outputs


def execute(kc, code, timeout=30, **kwargs):
    """Runs code; returns (execute_reply content, outputs)."""
    msg_id = kc.execute(code, **kwargs)
    reply = shell_reply(kc, msg_id, timeout)
    return reply["content"], collect(kc, msg_id, timeout)


def no_shell_reply(kc, timeout):
    """True when nothing at all arrives on shell within timeout seconds."""
    try:
        kc.get_shell_msg(timeout=timeout)
    except Empty:
        return True
    return False


def plain(text):
    return ANSI.sub("", text)
