"""The one place the version is written: pyproject.toml reads it (setuptools dynamic
version), ``dockerlab.__version__`` and ``dockerlab --version`` import it."""
__version__ = "0.1.0"
#: The name on PyPI (``dockerlab`` there is an unrelated project); ``import dockerlab`` stays.
DISTRIBUTION = "dockerlab-course"
