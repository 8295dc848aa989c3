"""View models: what a service computes and a renderer prints, as plain frozen data.

Services build these and ``gapcli.render`` formats them, so render never imports
services. A leaf for both: these modules import only the domain and the
standard library (store row records only for type checking), never services,
render or the CLI; ``tests/test_layers.py`` holds that rule.
"""
