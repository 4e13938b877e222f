"""意识形态工作责任制 (section 四 of the deployment speech): the positions (阵地) with 三审三校 of what they publish, and
the 党组's 专题研究 and 形势分析研判 meetings. 舆情 incidents are the `opinion` app."""
