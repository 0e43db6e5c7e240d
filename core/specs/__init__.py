"""One declaration per record type: what the service checks, the API accepts, the
dashboard's forms show and the exports write are all derived from it."""
