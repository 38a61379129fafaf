"""Network guard for the offline tests: refuses and records every attempt to reach another machine.

Python imports ``sitecustomize`` at start-up from the first folder on ``sys.path`` that holds one, so
putting this folder first on PYTHONPATH installs the guard in every Python process the tests start,
and in their children (JupyterLab, notebook kernels, MkDocs). The same code is installed in-process by
``install()``. Each attempt is appended as one JSON line to $XUNCHA_NETGUARD_LOG and fails with OSError,
as it would on a machine without a network.

Loopback and Unix sockets stay allowed: a local server (JupyterLab, the site preview) and its kernels
talk over them, and that never leaves the machine. Code that opens sockets below Python (C libraries)
is not seen here; nothing in the project does."""
import ipaddress
import json
import os
import socket
import sys
import traceback

LOG_ENV = "XUNCHA_NETGUARD_LOG"
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
_orig = {}


def _is_local(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%")[0].lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def _record(what, target):
    entry = {"pid": os.getpid(), "argv": sys.argv[:4], "what": what, "target": repr(target)[:200],
             "stack": traceback.format_stack(limit=8)[:-2]}
    path = os.environ.get(LOG_ENV)
    if path:
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError:
            pass
    return OSError(101, f"网络已被离线测试禁止：{what} {target!r}")  # 101 = ENETUNREACH


def _inet(sock):
    return getattr(sock, "family", None) in (socket.AF_INET, socket.AF_INET6)


def _connect(self, address):
    if _inet(self) and not _is_local(address[0] if isinstance(address, tuple) else address):
        raise _record("connect", address)
    return _orig["connect"](self, address)


def _connect_ex(self, address):
    if _inet(self) and not _is_local(address[0] if isinstance(address, tuple) else address):
        _record("connect_ex", address)
        return 101
    return _orig["connect_ex"](self, address)


def _sendto(self, data, *args):
    address = args[-1] if args else None
    if _inet(self) and isinstance(address, tuple) and not _is_local(address[0]):
        raise _record("sendto", address)
    return _orig["sendto"](self, data, *args)


def _getaddrinfo(host, *args, **kw):
    if not _is_local(host):
        try:
            ipaddress.ip_address(str(host.decode() if isinstance(host, bytes) else host).strip("[]").split("%")[0])
        except ValueError:  # a name: resolving it would ask a DNS server
            raise socket.gaierror(socket.EAI_NONAME, str(_record("getaddrinfo", host)))
    return _orig["getaddrinfo"](host, *args, **kw)


def _gethostbyname(host, *args):
    if not _is_local(host):
        raise socket.gaierror(socket.EAI_NONAME, str(_record("gethostbyname", host)))
    return _orig["gethostbyname"](host, *args)


def _gethostbyname_ex(host, *args):
    if not _is_local(host):
        raise socket.gaierror(socket.EAI_NONAME, str(_record("gethostbyname_ex", host)))
    return _orig["gethostbyname_ex"](host, *args)


def install():
    """Patch the socket module of this process (idempotent)."""
    if _orig:
        return
    _orig.update(connect=socket.socket.connect, connect_ex=socket.socket.connect_ex, sendto=socket.socket.sendto,
                 getaddrinfo=socket.getaddrinfo, gethostbyname=socket.gethostbyname,
                 gethostbyname_ex=socket.gethostbyname_ex)
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    socket.socket.sendto = _sendto
    socket.getaddrinfo = _getaddrinfo
    socket.gethostbyname = _gethostbyname
    socket.gethostbyname_ex = _gethostbyname_ex


def uninstall():
    if not _orig:
        return
    socket.socket.connect = _orig["connect"]
    socket.socket.connect_ex = _orig["connect_ex"]
    socket.socket.sendto = _orig["sendto"]
    socket.getaddrinfo = _orig["getaddrinfo"]
    socket.gethostbyname = _orig["gethostbyname"]
    socket.gethostbyname_ex = _orig["gethostbyname_ex"]
    _orig.clear()


def read_log(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except FileNotFoundError:
        return []


if os.environ.get(LOG_ENV):
    install()
    # chain to the sitecustomize this one shadows, if the installation has one
    _here = os.path.dirname(os.path.abspath(__file__))
    for _d in sys.path:
        if _d and os.path.abspath(_d) != _here and os.path.isfile(os.path.join(_d, "sitecustomize.py")):
            import importlib.util
            _spec = importlib.util.spec_from_file_location("_shadowed_sitecustomize", os.path.join(_d, "sitecustomize.py"))
            _spec.loader.exec_module(importlib.util.module_from_spec(_spec))
            break
