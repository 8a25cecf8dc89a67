"""PyInstaller runtime hook: the bundle plays through its own libVLC, never the system's.

Runs before the application's code.  python-vlc loads the library named by
PYTHON_VLC_LIB_PATH (and, on Windows and macOS, takes its plugin folder from
PYTHON_VLC_MODULE_PATH); libVLC itself finds its plugins through VLC_PLUGIN_PATH.  All three
point inside the bundle (sys._MEIPASS) and are set even when the user's environment has
them: a system VLC of another version must not mix its plugins with our library.
"""

import os
import sys

_BASE = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
if sys.platform == "win32":
    _LIBRARY, _PLUGINS = os.path.join(_BASE, "libvlc.dll"), os.path.join(_BASE, "plugins")
elif sys.platform == "darwin":
    _LIBRARY, _PLUGINS = os.path.join(_BASE, "libvlc.dylib"), os.path.join(_BASE, "plugins")
else:
    _LIBRARY, _PLUGINS = os.path.join(_BASE, "libvlc.so.5"), os.path.join(_BASE, "vlc", "plugins")

if os.path.isfile(_LIBRARY):
    os.environ["PYTHON_VLC_LIB_PATH"] = _LIBRARY
    os.environ["PYTHON_VLC_MODULE_PATH"] = _PLUGINS
    os.environ["VLC_PLUGIN_PATH"] = _PLUGINS
