"""部署分解与督查督办: deployments, their decomposition into tasks, and every task's life until it is closed."""
