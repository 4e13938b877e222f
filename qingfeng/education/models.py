"""学习教育 (section 二 of the deployment speech, 牢牢把握"教育"): study sessions of configurable kinds with their
frequency rules (中心组学习, 三会一课, 主题党日, 组织生活会, 廉政课堂, 警示教育…), attendance, compliance, and the
materials library (正面典型, 反面教材, 家风家教, policy documents)."""
