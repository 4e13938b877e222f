"""制度 and 三重一大 (section 二 of the deployment speech, 牢牢把握"制度"): the rule registry with versions, review
reminders and the 废改立 workflow; 三重一大 decisions with their procedure checker."""
