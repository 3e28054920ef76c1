"""The web layer: templates, static files, languages and cookie sessions.

Infrastructure, below every feature: each feature's ``pages.py`` renders its
pages through :func:`garita.web.templates.render` and reads the signed-in
person through :mod:`garita.web.session`, so no feature re-implements a rule
(pages call the same services as the JSON API).
"""
