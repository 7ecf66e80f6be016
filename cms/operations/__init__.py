"""Running Opstart on several hosts: outgoing e-mail, task workers, scheduled jobs,
health, logs, media and a cache that may fail.

Base level, like ``cms.models``: every app may use it, it imports none of them.
"""
