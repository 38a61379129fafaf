"""How ``xuncha lab`` starts JupyterLab: in the notebooks folder, with a kernel that runs this very Python
(the one xuncha is installed in), bound to localhost, no browser unless asked. Returns commands; runs nothing."""
import json
import os
import sys
from pathlib import Path

KERNEL_NAME = "python3"  # the notebooks ask for python3; we make python3 mean the project's Python


def write_kernelspec(jupyter_dir, root=None, python=None):
    """Write ``<jupyter_dir>/kernels/python3/kernel.json`` pointing at ``python`` (default: this interpreter).
    Put ``jupyter_dir`` first on JUPYTER_PATH and Jupyter uses it instead of any other python3 kernel."""
    kdir = Path(jupyter_dir) / "kernels" / KERNEL_NAME
    kdir.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [python or sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3（xuncha）", "language": "python", "metadata": {"debugger": True}}
    if root:
        spec["env"] = {"XUNCHA_ROOT": str(root)}
    (kdir / "kernel.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    return kdir


def lab_command(notebook_dir, port=None, ip="127.0.0.1", browser=False, token=None, python=None):
    """The argv that starts JupyterLab on ``notebook_dir``."""
    argv = [python or sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={Path(notebook_dir)}",
            f"--ServerApp.ip={ip}", f"--ServerApp.open_browser={bool(browser)}",
            # offline: no news feed, no update check, no extension manager talking to PyPI
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")  # containers and CI run as root
    if port:
        argv += [f"--ServerApp.port={int(port)}", "--ServerApp.port_retries=0"]
    if token is not None:
        argv.append(f"--IdentityProvider.token={token}")
    return argv


def lab_env(jupyter_dir, base=None):
    """The environment for the JupyterLab process: our kernelspec first on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    old = env.get("JUPYTER_PATH")
    env["JUPYTER_PATH"] = str(jupyter_dir) + (os.pathsep + old if old else "")
    return env
