"""Django's SQLite backend, with the database and its side files readable by their owner only
(see :mod:`alliance.ops.owner_only`). ``settings.py`` selects it for every ``sqlite://`` URL."""
