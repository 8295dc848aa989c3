"""How long a study session may be: the limits a setting is checked against.

Apart from the planner, which applies them, so that the settings and the views
that show them do not load the planner on commands that never plan (``history``).
"""

MIN_SESSION_MINUTES = 30  # the default shortest session a learner sits down for
LOWEST_SESSION_MINUTES = 15  # the shortest minimum a setting may ask for
HIGHEST_SESSION_MINUTES = 240
