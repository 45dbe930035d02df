"""Smart-solution catalogue and KPI library: public pages and admin editing."""
