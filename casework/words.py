"""The words of the desk's pages and the spreadsheets: Simplified Chinese first
(shared/GLOSSARY.md), English per user.

Only labels live here — what a state, a move, a field or a choice is called on screen. What
a form holds, which moves are allowed and who may make them all come from the kinds'
declarations; `tests/desk/test_desk_words.py` fails when a kind gains a state, move, field or
choice that has no Chinese label here.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

#: key → (简体中文, English). Keys: "state.<kind>.<state>", "move.<kind>.<move>",
#: "field.<name>" (or "field.<kind>.<name>" where a kind means something else by it),
#: "choice.<value>", "kind.<kind>", "role.<role>", and the pages' own words.
WORDS: dict[str, tuple[str, str]] = {
    # kinds
    "kind.dispute": ("劳动争议", "Labour dispute"),
    "kind.aid": ("困难职工帮扶", "Hardship aid"),
    "kind.warning": ("预警信息", "Early warning"),
    "kinds.dispute": ("劳动争议案件", "Labour disputes"),
    "kinds.aid": ("帮扶案件", "Aid cases"),
    "kinds.warning": ("预警信息", "Early warnings"),
    # states
    "state.dispute.received": ("已接待", "received"),
    "state.dispute.accepted": ("已受理", "accepted"),
    "state.dispute.declined": ("不予受理", "declined"),
    "state.dispute.mediating": ("调解中", "mediating"),
    "state.dispute.resolved": ("调解成功", "resolved by agreement"),
    "state.dispute.escalated": ("已转仲裁/诉讼", "escalated"),
    "state.dispute.withdrawn": ("已撤回", "withdrawn"),
    "state.dispute.answered": ("咨询已答复", "consultation answered"),
    "state.dispute.referred": ("已转介", "referred elsewhere"),
    "state.dispute.terminated": ("终止调解", "mediation terminated"),
    "state.dispute.arbitration": ("当事人已申请仲裁", "party applied for arbitration"),
    "state.aid.received": ("已接待", "received"),
    "state.aid.accepted": ("已受理", "accepted"),
    "state.aid.declined": ("不予帮扶", "declined"),
    "state.aid.approved": ("已处理(审批)", "approved"),
    "state.aid.implemented": ("已落实", "implemented"),
    "state.aid.feedback_recorded": ("已反馈", "feedback recorded"),
    "state.aid.closed": ("已结案", "closed"),
    "state.aid.escalated": ("已转上级", "referred upwards"),
    "state.aid.withdrawn": ("已撤回", "withdrawn"),
    "state.warning.reported": ("已报告", "reported"),
    "state.warning.verified": ("已核实", "verified"),
    "state.warning.resolved": ("源头化解", "resolved at the source"),
    "state.warning.became_dispute": ("已转为劳动争议", "became a dispute"),
    "state.warning.dismissed": ("核实无风险", "dismissed"),
    "state.warning.withdrawn": ("已撤回", "withdrawn"),
    # moves (and what the history calls them)
    "move.dispute.receive": ("接待", "Receive"),
    "move.dispute.accept": ("受理", "Accept"),
    "move.dispute.decline": ("不予受理", "Decline"),
    "move.dispute.start_mediation": ("开始调解", "Start mediation"),
    "move.dispute.resolve": ("达成调解协议", "Resolve with an agreement"),
    "move.dispute.escalate": ("转仲裁/诉讼", "Escalate"),
    "move.dispute.withdraw": ("撤回", "Withdraw"),
    "move.dispute.answer": ("咨询答复", "Answer a consultation"),
    "move.dispute.refer": ("转介", "Refer elsewhere"),
    "move.dispute.extend": ("延期(双方同意)", "Extend (by consent)"),
    "move.dispute.terminate": ("终止调解", "Terminate mediation"),
    "move.dispute.arbitration_applied": ("记录当事人申请仲裁", "Record the application"),
    "move.dispute.follow_up": ("履行回访", "Follow up performance"),
    "move.dispute.review_applied": ("申请仲裁审查确认/司法确认", "Record a review application"),
    "move.dispute.reopen": ("恢复调解(协议未履行等)", "Reopen mediation"),
    "move.aid.receive": ("接待", "Receive"),
    "move.aid.accept": ("受理", "Accept"),
    "move.aid.decline": ("不予帮扶", "Decline"),
    "move.aid.approve": ("处理(审批帮扶)", "Approve help"),
    "move.aid.implement": ("落实", "Implement"),
    "move.aid.record_feedback": ("记录反馈", "Record feedback"),
    "move.aid.close": ("结案", "Close"),
    "move.aid.escalate": ("转上级", "Refer upwards"),
    "move.aid.withdraw": ("撤回", "Withdraw"),
    "move.aid.pay_subsidy": ("发放生活补助", "Subsidy paid"),
    "move.warning.report": ("报告预警", "Report"),
    "move.warning.verify": ("核实", "Verify"),
    "move.warning.resolve": ("源头化解", "Resolve at the source"),
    "move.warning.to_dispute": ("转为劳动争议", "Becomes a dispute"),
    "move.warning.dismiss": ("核实无风险", "Dismiss"),
    "move.warning.withdraw": ("撤回", "Withdraw"),
    "move.warning.reopen": ("风险复现，重新核实", "Reopen"),
    "move.worker.enrol": ("建档", "Enrol"),
    "move.worker.review": ("年度复核", "Yearly review"),
    "move.worker.exit": ("退出档案", "Exit"),
    "move.worker.condolence": ("送温暖慰问", "Condolence paid"),
    "move.fund.open": ("设立基金", "Open"),
    "move.fund.contribute": ("募集/拨入资金", "Contribute"),
    "move.fund.pay_quarter": ("按季发放生活补助", "Pay a quarter's subsidies"),
    "move.fund.run_campaign": ("送温暖慰问发放", "Pay a condolence campaign"),
    # fields
    "returns.nothing": ("本工会在此期间尚无记录。", "Nothing is recorded for this body yet."),
    "field.number": ("案件编号", "Case number"),
    "field.org": ("工会", "Union body"),
    "field.state": ("状态", "State"),
    "field.received_at": ("接待时间", "Received"),
    "field.category": ("争议类别", "Category"),
    "field.workers": ("涉及职工(人)", "Workers involved"),
    "field.amount": ("涉案金额(元)", "Amount at stake (yuan)"),
    "field.channel": ("接待方式", "Channel"),
    "field.employer": ("用人单位", "Employer"),
    "field.summary": ("情况摘要", "Summary"),
    "field.petitioner": ("信访人", "Petitioner"),
    "field.contact": ("联系方式", "Contact"),
    "field.industry": ("行业", "Industry"),
    "field.origin": ("来源(预警信息)", "From (early warning)"),
    "field.accepted_on": ("受理日期", "Accepted on"),
    "field.concluded_on": ("结案日期", "Concluded on"),
    "field.accepted_at": ("受理时间", "Accepted"),
    "field.concluded_at": ("结案时间", "Concluded"),
    "field.mediator": ("调解员", "Mediator"),
    "field.settled_amount": ("调解协议金额(元)", "Amount agreed (yuan)"),
    "field.escalated_to": ("转往", "Escalated to"),
    "field.settled": ("调解协议金额(元)", "Amount agreed (yuan)"),
    "field.help_kind": ("帮扶方式", "Kind of help"),
    "field.reason": ("原因", "Reason"),
    "field.to": ("转往", "To"),
    "field.worker": ("档案编号", "Register id"),
    "field.id_number": ("身份证号", "ID number"),
    "field.help": ("帮扶决定", "Help decided"),
    "field.paid": ("已发放(元)", "Paid (yuan)"),
    "field.paid_quarters": ("已发放季度", "Quarters paid"),
    "field.feedback": ("职工反馈", "Feedback"),
    "field.referred_to": ("转往", "Referred to"),
    "field.kind": ("帮扶方式", "Kind of help"),
    "field.fund": ("帮困基金", "Fund"),
    "field.aid.amount": ("救助金额(元)", "Amount (yuan)"),
    "field.monthly_amount": ("每月补助(元)", "Monthly amount (yuan)"),
    "field.first_month": ("起始月份", "First month"),
    "field.months": ("补助月数", "Months"),
    "field.note": ("备注", "Note"),
    "field.enterprise": ("企业", "Enterprise"),
    "field.risk": ("风险类别", "Risk"),
    "field.warning.workers": ("涉及职工(人)", "Workers at risk"),
    "field.officer": ("预警员", "Early-warning officer"),
    "field.how": ("化解方式", "How it was resolved"),
    "field.claims": ("请求事项", "Claims"),
    "field.commission": ("仲裁委员会", "Arbitration commission"),
    "field.common_claim": ("共同请求", "A common claim"),
    "field.consent": ("双方同意", "Both parties agree"),
    "field.days": ("延长天数", "Days"),
    "field.due_on": ("履行期限", "Due on"),
    "field.extension_days": ("延长天数", "Days extended"),
    "field.help_amount": ("救助金额(元)", "Amount (yuan)"),
    "field.method": ("履行方式", "Method"),
    "field.notice_on": ("书面通知日期", "Written notice on"),
    "field.parties": ("当事人", "Parties"),
    "field.performed": ("履行情况", "Performed"),
    "field.reply": ("答复", "Reply"),
    "field.representatives": ("代表人", "Representatives"),
    "field.review": ("确认方式", "Review"),
    "field.rule": ("适用规定", "Rule"),
    "field.signed_on": ("签署日期", "Signed on"),
    "field.termination": ("终止原因", "Why terminated"),
    "field.dispute": ("转为劳动争议案件", "Dispute opened"),
    "field.name": ("姓名", "Name"),
    "field.active": ("在档", "On the register"),
    "field.enrolled_at": ("建档时间", "Enrolled"),
    "field.exited_at": ("退出时间", "Exited"),
    "field.exit_reason": ("退出原因", "Exit reason"),
    "field.campaigns": ("已领慰问", "Campaigns received"),
    "field.worker.reason": ("困难原因", "Hardship reason"),
    "field.exit.reason": ("退出原因", "Exit reason"),
    "field.code": ("基金代码", "Fund code"),
    "field.fund.name": ("基金名称", "Fund name"),
    "field.fund.amount": ("金额(元)", "Amount (yuan)"),
    "field.source": ("资金来源", "Source"),
    # where an import read a record (casework.importing): its file's id, or file and row
    "field.dispute.source": ("导入来源", "Imported from"),
    "field.aid.source": ("导入来源", "Imported from"),
    "field.warning.source": ("导入来源", "Imported from"),
    "field.worker.source": ("导入来源", "Imported from"),
    "move.dispute.import": ("导入", "Imported"),
    "move.aid.import": ("导入", "Imported"),
    "move.warning.import": ("导入", "Imported"),
    "move.worker.import": ("导入", "Imported"),
    "field.balance": ("余额(元)", "Balance (yuan)"),
    "field.contributed": ("累计募集(元)", "Contributed (yuan)"),
    "field.disbursed": ("累计支出(元)", "Disbursed (yuan)"),
    "field.quarter": ("季度", "Quarter"),
    "field.campaign": ("慰问活动", "Campaign"),
    "field.campaign.workers": ("慰问对象(档案编号,每行一个)", "Workers (register ids, one a line)"),
    "field.campaign.amount": ("每人金额(元)", "Amount each (yuan)"),
    "field.at": ("发生时间(留空为现在)", "When (blank: now)"),
    # choices
    "choice.labor_contract": ("劳动合同", "labour contract"),
    "choice.arbitration_review": ("仲裁审查确认", "arbitration review"),
    "choice.judicial_confirmation": ("司法确认", "judicial confirmation"),
    "choice.expired": ("期满未达成协议", "the period ran out"),
    "choice.party_refused": ("当事人不愿继续调解", "a party would not go on"),
    "choice.yes": ("全部履行", "performed in full"),
    "choice.partly": ("部分履行", "partly performed"),
    "choice.no": ("未履行", "not performed"),
    "choice.outreach": ("主动走访", "outreach visit"),
    "choice.wages": ("工资", "wages"),
    "choice.work_injury": ("工伤", "work injury"),
    "choice.social_insurance": ("社会保险", "social insurance"),
    "choice.other": ("其他", "other"),
    "choice.visit": ("来访", "in person"),
    "choice.phone": ("来电", "phone"),
    "choice.letter": ("来信", "letter"),
    "choice.online": ("网上", "online"),
    "choice.referral": ("转介", "referral"),
    "choice.arbitration": ("申请仲裁", "arbitration"),
    "choice.court": ("人民法院", "court"),
    "choice.labour_inspection": ("劳动保障监察", "labour inspection"),
    "choice.higher_union": ("上级工会", "higher union"),
    "choice.civil_affairs": ("民政部门", "civil affairs"),
    "choice.one_off": ("临时困难救助金", "one-off relief"),
    "choice.monthly_subsidy": ("生活补助(按月核定、按季发放)", "monthly subsidy"),
    "choice.legal_aid": ("法律援助", "legal aid"),
    "choice.illness": ("患病", "illness"),
    "choice.disability": ("残疾", "disability"),
    "choice.single_parent": ("单亲家庭", "single parent"),
    "choice.unemployment": ("失业", "unemployment"),
    "choice.disaster": ("灾害", "disaster"),
    "choice.recovered": ("已脱困", "recovered"),
    "choice.employed": ("已就业", "employed"),
    "choice.retired": ("退休", "retired"),
    "choice.deceased": ("去世", "deceased"),
    "choice.left": ("离开本单位", "left"),
    "choice.wage_arrears": ("拖欠工资", "wage arrears"),
    "choice.closure": ("关停", "closure"),
    "choice.layoffs": ("裁员", "layoffs"),
    "choice.relocation": ("搬迁", "relocation"),
    "choice.kind.referral": ("介绍再就业", "re-employment referral"),
    # roles
    "role.mediator": ("调解员", "mediator"),
    "role.aid_officer": ("帮扶工作人员", "aid officer"),
    "role.warning_officer": ("预警员", "early-warning officer"),
    "role.supervisor": ("负责人(审批)", "supervisor"),
    "role.auditor": ("经审(审计)", "auditor"),
    # pages
    "app": ("工会劳动争议调解与困难职工帮扶工作台", "Union mediation and aid desk"),
    "skip": ("跳到正文", "Skip to content"),
    "login": ("登录", "Sign in"),
    "logout": ("退出", "Sign out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "login.wrong": ("用户名或密码错误。", "Wrong username or password."),
    "login.locked": ("密码连续输错5次，账户已锁定15分钟，请稍后再试或联系管理员。",
                     "Five wrong passwords: the account is locked for 15 minutes."),
    "login.closed": ("该账户已停用，请联系管理员。", "This account is closed."),
    "signed_in_as": ("当前用户", "Signed in as"),
    "nav.home": ("我的案件", "My caseload"),
    "nav.receive": ("接待登记", "Receive"),
    "nav.cases": ("案件列表", "Cases"),
    "nav.register": ("困难职工档案", "Hardship register"),
    "nav.funds": ("帮困基金", "Aid funds"),
    "nav.returns": ("统计报表", "Returns"),
    "nav.exports": ("数据导出", "Exports"),
    "nav.account": ("我的账户", "My account"),
    "lang.switch": ("English", "简体中文"),
    "caseload.overdue": ("超期", "Overdue"),
    "caseload.soon": ("即将到期(3日内)", "Due within 3 days"),
    "caseload.rest": ("其他在办案件", "The rest"),
    "caseload.none": ("暂无案件。", "No cases."),
    "caseload.by_mediator": ("按调解员/经办人", "By mediator or officer"),
    "caseload.unassigned": ("未分配", "Unassigned"),
    "caseload.more": ("另有 {n} 件未列出。", "{n} more not shown."),
    "caseload.auditor": ("经审人员无在办案件；请查看统计报表与数据导出。",
                         "Auditors hold no cases: see the returns and exports."),
    "deadline": ("期限", "Deadline"),
    "subject": ("单位/对象", "Employer or worker"),
    "deadline.rule": ("依据", "Rule"),
    "deadline.none": ("无法定期限", "no statutory deadline"),
    "deadline.not_started": ("受理后起算", "starts on acceptance"),
    "deadline.ldmal14": ("《劳动争议调解仲裁法》第十四条：受理后15日内",
                         "LDMAL art. 14: 15 days from acceptance"),
    "days_left": ("剩 {n} 天", "{n} days left"),
    "days_over": ("超期 {n} 天", "{n} days over"),
    "due_today": ("今日到期", "due today"),
    "facts": ("案件情况", "Facts"),
    "timeline": ("办理经过", "Timeline"),
    "moves": ("可办理事项", "Moves allowed now"),
    "moves.none": ("该案件已办结，无可办理事项。", "The case is concluded: no moves."),
    "moves.not_yours": ("您的角色不能办理此案件的事项。", "Your role makes no moves on this case."),
    "when": ("时间", "When"),
    "who": ("经办人", "Who"),
    "what": ("事项", "What"),
    "submit": ("提交", "Submit"),
    "required": ("必填", "required"),
    "optional": ("选填", "optional"),
    "choose": ("请选择", "Choose"),
    "errors.form": ("请修改标出的内容后重新提交。", "Please correct the marked fields."),
    "done": ("已办理：{what}", "Done: {what}"),
    "received.done": ("已登记，案件编号 {number}。", "Recorded as {number}."),
    "not_found": ("未找到", "Not found"),
    "not_found.text": ("没有这个页面，或您无权查看。", "No such page, or not yours to see."),
    "forbidden": ("请求被拒绝", "Refused"),
    "forbidden.csrf": ("表单已过期或来源不明，请返回重新提交。",
                       "The form expired or came from elsewhere: go back and submit again."),
    "error.permission": ("您无权办理此事项。", "You may not make this move."),
    "error.transition": ("案件当前状态不允许此操作，请刷新页面。",
                         "The case's state does not allow this now: reload the page."),
    "error.concurrent": ("案件刚被他人修改，请刷新后重试。",
                         "Someone changed the case at the same moment: reload and retry."),
    "error.funds": ("基金 {fund} 将在 {on} 出现负余额,缺口 {short}。",
                    "Fund {fund} would go below zero on {on}, short by {short}."),
    "error.exists": ("已存在。", "Already exists."),
    "error.not_found": ("不存在：{what}", "Not found: {what}"),
    "error.store": ("数据库暂时不可用，请稍后再试。", "The store failed: try again later."),
    "receive.title": ("接待登记", "Receive"),
    "receive.intro": ("选择要登记的事项：", "What is being received:"),
    "list.title": ("{kind}列表", "{kind}"),
    "list.filter": ("筛选", "Filter"),
    "list.all": ("全部", "all"),
    "list.count": ("共 {n} 件", "{n} cases"),
    "list.pages": ("第 {page} 页,共 {pages} 页", "page {page} of {pages}"),
    "list.prev": ("上一页", "previous"),
    "list.next": ("下一页", "next"),
    "register.title": ("困难职工档案", "Hardship register"),
    "register.enrol": ("建档", "Enrol a worker"),
    "funds.title": ("帮困基金", "Aid funds"),
    "funds.ledger": ("资金明细", "Ledger"),
    "funds.payouts": ("资金发放", "Payouts"),
    "funds.paid": ("已发放 {n} 笔,共 {total}", "Paid {n}, {total} in all"),
    "purpose.contribution": ("募集/拨入", "contribution"),
    "purpose.correction": ("更正", "correction"),
    "purpose.one_off": ("临时困难救助金", "one-off relief"),
    "purpose.subsidy": ("生活补助", "subsidy"),
    "purpose.campaign": ("送温暖慰问", "campaign"),
    "returns.title": ("统计报表", "Returns"),
    "returns.period": ("统计期间", "Period"),
    "returns.period.help": ("如 2023H1(上半年)、2023Q2、2023-05 或 2023",
                            "e.g. 2023H1, 2023Q2, 2023-05 or 2023"),
    "returns.show": ("生成报表", "Show"),
    "returns.drill": ("明细(点击数字查看案件)", "Drill down (click a figure for its cases)"),
    "returns.cases": ("{figure}:{n} 件", "{figure}: {n} cases"),
    "exports.title": ("数据导出(CSV)", "Exports (CSV)"),
    "exports.note": ("导出文件不含信访人、联系方式等个人信息。",
                     "Exports hold no personal data (no petitioner, no contact)."),
    "account.title": ("我的账户", "My account"),
    "account.password": ("修改密码", "Change password"),
    "account.current": ("当前密码", "Current password"),
    "account.new": ("新密码(至少8位)", "New password (at least 8 characters)"),
    "account.changed": ("密码已修改,请重新登录。", "Password changed: sign in again."),
    "account.bodies": ("所属工会", "Union bodies"),
    "account.role": ("角色", "Role"),
    "account.history": ("账户记录", "Account history"),
    "all_bodies": ("全部工会", "every body"),
    "personal.hidden": ("(个人信息,经审人员不可见)", "(personal data, hidden from auditors)"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "back": ("返回", "Back"),
    "view": ("查看", "View"),
}

#: History entries of accounts, in the account page's words.
WORDS.update({
    "move.account.add": ("开通账户", "added"),
    "move.account.change_role": ("变更角色", "role changed"),
    "move.account.grant": ("增加所属工会", "bodies granted"),
    "move.account.revoke_bodies": ("取消所属工会", "bodies revoked"),
    "move.account.set_password": ("修改密码", "password changed"),
    "move.account.close": ("停用", "closed"),
    "move.account.reopen": ("恢复", "reopened"),
    "move.account.lock": ("锁定", "locked"),
    "move.account.unlock": ("解锁", "unlocked"),
})


class Words:
    """The words of one language: `w("nav.home")`, `w.field("amount", kind="aid")`."""

    def __init__(self, lang: str, tz: tzinfo) -> None:
        self.lang, self.tz = ("en" if lang == "en" else "zh"), tz
        self.html_lang = "en" if self.lang == "en" else "zh-CN"

    def __call__(self, key: str, **values: object) -> str:
        zh, en = WORDS.get(key, (key, key))
        text = en if self.lang == "en" else zh
        return text.format(**values) if values else text

    def first(self, *keys: str, default: str = "") -> str:
        for key in keys:
            if key in WORDS:
                return self(key)
        return default

    def field(self, name: str, *, kind: str = "") -> str:
        return self.first(f"field.{kind}.{name}", f"field.{name}",
                          default=name.replace("_", " "))

    def choice(self, value: str, *, field: str = "") -> str:
        return self.first(f"choice.{field}.{value}", f"choice.{value}", default=value)

    def state(self, kind: str, state: str) -> str:
        return self.first(f"state.{kind}.{state}", default=state)

    def move(self, kind: str, move: str) -> str:
        return self.first(f"move.{kind}.{move}", default=move.replace("_", " "))

    def role(self, role: str) -> str:
        return self.first(f"role.{role}", default=role)

    # ---- dates and money, as an office writes them ----------------------------------

    def date(self, d: date | datetime | None) -> str:
        if d is None:
            return "—"
        if isinstance(d, datetime):
            d = d.astimezone(self.tz).date()
        if self.lang == "en":
            return f"{d.day} {d:%b} {d.year}"
        return f"{d.year}年{d.month}月{d.day}日"

    def datetime(self, t: datetime | None) -> str:
        if t is None:
            return "—"
        local = t.astimezone(self.tz)
        return f"{self.date(local.date())} {local:%H:%M}"

    def money(self, amount: Decimal | int | str | None) -> str:
        if amount is None or amount == "":
            return "—"
        text = f"{Decimal(amount):,.2f}"
        return f"¥{text}" if self.lang == "en" else f"{text}元"
