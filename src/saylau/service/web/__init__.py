"""The web pages: server-rendered Jinja2 templates, a little JavaScript for live updates."""
