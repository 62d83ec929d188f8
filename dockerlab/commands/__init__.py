"""One module per docker command group: spec -> checks -> CLI line -> engine call -> Result.

``run`` (run, create; options in ``run_options``), ``container`` (start, stop, rm, exec,
logs, top, inspect, cp), ``network``, ``volume``, ``build``, ``image`` (pull, tag, rmi,
import, save, load), ``registry`` (start, login, push). ``validate`` holds the checks
every spec shares, ``ownership`` the rule that the toolkit touches only what it made,
``result`` the one Result type.
"""
