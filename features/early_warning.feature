# language: zh-CN
功能: 预警信息 (early-warning reports)
  企业里的预警员是工会的"第一知情人、第一报告人、第一协调人"：工资可能拖欠、企业将要关停、
  即将裁员——还不是劳动争议，就先报告。工会核实后，或在源头化解(化解在萌芽状态)，或转为
  劳动争议由调解中心受理，或查无风险予以驳回；预警员可以在办结前撤回报告。
  生命周期在 workflows/warnings.py；下面的表格用文字说同一件事，
  features/test_spec_coverage.py 会在表格漏掉任何状态或动作时失败。

  规则: 只有生命周期允许的动作才能执行(案件流程)

    场景大纲: <move> from <state>: <outcome>
      假如 一条预警信息处于 <state>
      当 尝试对它 <move>
      那么 结果是 <outcome>

      例子:
        | state          | move       | outcome        |
        | reported       | verify     | verified       |
        | reported       | resolve    | refused        |
        | reported       | to_dispute | refused        |
        | reported       | dismiss    | dismissed      |
        | reported       | withdraw   | withdrawn      |
        | reported       | reopen     | refused        |
        | verified       | verify     | refused        |
        | verified       | resolve    | resolved       |
        | verified       | to_dispute | became_dispute |
        | verified       | dismiss    | dismissed      |
        | verified       | withdraw   | withdrawn      |
        | verified       | reopen     | refused        |
        | resolved       | verify     | refused        |
        | resolved       | resolve    | refused        |
        | resolved       | to_dispute | refused        |
        | resolved       | dismiss    | refused        |
        | resolved       | withdraw   | refused        |
        | resolved       | reopen     | verified       |
        | became_dispute | verify     | refused        |
        | became_dispute | resolve    | refused        |
        | became_dispute | to_dispute | refused        |
        | became_dispute | dismiss    | refused        |
        | became_dispute | withdraw   | refused        |
        | became_dispute | reopen     | refused        |
        | dismissed      | verify     | refused        |
        | dismissed      | resolve    | refused        |
        | dismissed      | to_dispute | refused        |
        | dismissed      | dismiss    | refused        |
        | dismissed      | withdraw   | refused        |
        | dismissed      | reopen     | refused        |
        | withdrawn      | verify     | refused        |
        | withdrawn      | resolve    | refused        |
        | withdrawn      | to_dispute | refused        |
        | withdrawn      | dismiss    | refused        |
        | withdrawn      | withdraw   | refused        |
        | withdrawn      | reopen     | refused        |

    场景大纲: 在 <state> 时被拒绝，列出现在可做的动作
      假如 一条预警信息处于 <state>
      当 尝试一个 <state> 时不允许的动作
      那么 被拒绝，现在可做的动作是: <allowed now>

      例子:
        | state          | allowed now                              |
        | reported       | verify, dismiss, withdraw                |
        | verified       | resolve, to_dispute, dismiss, withdraw   |
        | resolved       | reopen                                   |
        | became_dispute | none (the case is closed)                |
        | dismissed      | none (the case is closed)                |
        | withdrawn      | none (the case is closed)                |

  规则: 预警信息按报告年份编号(YJ-年份-序号)，历史记录谁在何时做了什么

    场景: 预警员报告的信息，编号与历史
      假如 预警员 o-01 于 2023-03-01 报告 华光纺织 拖欠工资，涉及 40 名职工
      而且 预警员 o-02 于 2024-01-03 报告 东方电子 即将裁员，涉及 120 名职工
      那么 预警信息依次编号为 YJ-2023-0001, YJ-2024-0001
      而且 YJ-2023-0001 的历史是: report by o-01 on 2023-03-01

  规则: 转为劳动争议时，争议案件带着预警的事实受理，两边互相指明来处

    场景: 已核实的预警转为劳动争议
      假如 预警员 o-01 于 2023-03-01 报告 华光纺织 拖欠工资，涉及 40 名职工
      而且 工会于 2023-03-02 核实了它
      当 调解员 m-01 于 2023-03-03 将它转为劳动争议，类别 wages，涉案金额 120000
      那么 预警信息处于 became_dispute，并指向新的争议案件
      而且 新的争议案件的用人单位是 华光纺织，涉及 40 名职工，渠道 referral，来处是这条预警信息

    场景: 转为争议时可以改正带过来的事实
      假如 预警员 o-01 于 2023-03-01 报告 华光纺织 拖欠工资，涉及 40 名职工
      而且 工会于 2023-03-02 核实了它
      当 调解员 m-01 于 2023-03-03 将它转为劳动争议，类别 wages，涉案金额 60000，涉及 12 名职工
      那么 新的争议案件的用人单位是 华光纺织，涉及 12 名职工，渠道 referral，来处是这条预警信息

    场景: 未核实的预警不能转为争议，也不会留下争议案件
      假如 预警员 o-01 于 2023-03-01 报告 华光纺织 拖欠工资，涉及 40 名职工
      当 调解员 m-01 于 2023-03-03 将它转为劳动争议，类别 wages，涉案金额 120000
      那么 被拒绝，错误是 InvalidTransition
      而且 没有任何争议案件

    场景: 转为争议时争议的事实不合规定，两边都不存储
      假如 预警员 o-01 于 2023-03-01 报告 华光纺织 拖欠工资，涉及 40 名职工
      而且 工会于 2023-03-02 核实了它
      当 调解员 m-01 于 2023-03-03 将它转为劳动争议，类别 salary，涉案金额 120000
      那么 被拒绝，错误是 InvalidInput，指明 category
      而且 没有任何争议案件
      而且 预警信息处于 verified

  规则: 源头化解率 = 源头化解 ÷ (源头化解 + 转为争议)，按报告日期归入统计期

    场景: 半年的预警统计，统计表和重放结果一致
      假如 2023 年上半年报告了这些预警信息
        | officer | enterprise | workers | outcome        |
        | o-01    | 华光纺织   | 40      | resolved       |
        | o-01    | 华光纺织   | 15      | became_dispute |
        | o-02    | 东方电子   | 120     | resolved       |
        | o-02    | 东方电子   | 8       | dismissed      |
        | o-03    | 新华印刷   | 30      | reported       |
      那么 2023 年上半年的预警统计是: 报告 5，核实 3，源头化解 2，转为争议 1，驳回 1，在办 1
      而且 源头化解率是 66.7%，涉及职工 213 人
      而且 预警员 o-01 报告 2 条，源头化解 1 条

  规则: 预警员只为自己所在的工会报告和处理；审计员只查看，不改动

    场景大纲: <actor> 为 subdistrict 报告预警信息: <outcome>
      假如 这些人员
        | actor | role            | bodies      |
        | o-sub | warning_officer | subdistrict |
        | o-cty | warning_officer | county      |
        | m-sub | mediator        | subdistrict |
        | aud   | auditor         | *           |
      当 <actor> 为 subdistrict 报告一条预警信息
      那么 命令被 <outcome>

      例子:
        | actor | outcome |
        | o-sub | made    |
        | o-cty | refused |
        | m-sub | made    |
        | aud   | refused |

  规则: 错误的输入被拒绝，什么也不存储

    场景大纲: 报告时 <field> 为 <value>: 被拒绝
      当 预警员报告一条预警信息，其中 <field> 为 <value>
      那么 被拒绝，错误是 InvalidInput，指明 <field>
      而且 没有任何预警信息

      例子:
        | field      | value     |
        | workers    | 0         |
        | workers    | -3        |
        | risk       | "salary"  |
        | enterprise | ""        |
        | enterprise | "   "     |
        | officer    | "a b"     |
        | officer    | ""        |
