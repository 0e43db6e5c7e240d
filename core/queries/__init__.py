"""Read side: lists, aggregates and figures' data, computed in SQL."""
