"""The course images: pinned pull references, offline recipes, classroom bundles.

>>> from dockerlab.kit import run_images, CATALOG
>>> [e.ref for e in CATALOG]
['busybox:1.36', 'debian:bookworm-slim', 'nginx:1.25', 'postgres:15', 'registry:2']
>>> run_images(offline=True)       # what `dockerlab images --offline` runs  # doctest: +SKIP
0
"""
from .builder import Outcome, Plan, build_recipe, make_present
from .catalog import CATALOG, KIT_VERSION, VERSION, Entry, get, in_dependency_order
from .command import bundle_refs, catalog_status, ensure_images, export_bundle, import_bundle, run_images
from .progress import TerminalProgress

__all__ = [
    "CATALOG", "VERSION", "KIT_VERSION", "Entry", "get", "in_dependency_order",
    "Plan", "Outcome", "make_present", "build_recipe",
    "run_images", "catalog_status", "ensure_images", "export_bundle", "import_bundle", "bundle_refs",
    "TerminalProgress",
]
