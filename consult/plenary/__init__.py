"""The plenary area: live polls of the room, the public results page, the presentation deck."""
