"""Pure functions from query results to Plotly figures (tested without a browser)."""
