"""The staff dashboard of the deflection numbers: `python -m tanya.dashboard --port N`.

A small aiohttp app (app.py) serving the page (web/dashboard), its local assets (Chart.js from
web/vendor, copied from npm by scripts/setup_dashboard.sh), the report as JSON (tanya.analytics, the
same function the command uses: no second copy of any number) and its labels (data/messages/dashboard.yml).
Everything but the login page and the static assets needs a staff login (auth.py): the token from
TANYA_DASHBOARD_TOKEN; without one the dashboard does not start.
"""
