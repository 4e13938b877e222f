"""清风 Qingfeng: a bureau's platform for 全面从严治党 work."""
