"""Analytics over the store: manager aggregations (store_analytics) and KPIs."""
