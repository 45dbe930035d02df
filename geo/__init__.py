"""Plain-Python geography: boundary import, spatial queries that work on SpatiaLite and PostGIS."""
