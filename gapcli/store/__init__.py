"""The store: SQLModel tables, connections, migrations and backups.

Only the service layer imports this package; it is never on the ``--help`` path.
"""
