"""Texts of accounts: /start, /help, /cancel, /whoami, /lang, /bind, /invite, /people, users."""

TEXTS: dict[str, tuple[str, str]] = {
    "start.welcome": (
        "您好，{name}！我是联合抽查助手，协助开展部门联合“双随机、一公开”监管。\n您的角色：{roles}",
        "Hello, {name}! I am JointCheck, the assistant for joint "
        '"double random, one public" spot checks.\nYour roles: {roles}',
    ),
    "start.stranger": (
        "您好！我是联合抽查助手。请发送 /bind 邀请码 绑定您的账号。",
        "Hello! I am JointCheck. Send /bind CODE to bind your account.",
    ),
    "button.help": ("帮助", "Help"),
    "button.whoami": ("我是谁", "Who am I"),
    "button.lang": ("切换语言", "Language"),
    "help.header": ("您可以使用以下命令：", "You can use these commands:"),
    "help.footer": (
        "随时发送 /cancel 可退出当前操作。",
        "Send /cancel at any time to leave the current step.",
    ),
    "cmd.start": ("开始使用", "Start"),
    "cmd.help": ("查看可用命令", "List what you can do"),
    "cmd.cancel": ("退出当前操作", "Leave the current step"),
    "cmd.whoami": ("查看我的账号与角色", "Show my account and roles"),
    "cmd.lang": ("切换语言（zh / en）", "Switch language (zh / en)"),
    "cmd.bind": ("用邀请码绑定账号", "Bind your account with an invite code"),
    "cancel.done": ("已退出当前操作。", "Left the current step."),
    "cancel.nothing": ("当前没有进行中的操作。", "There is nothing to leave."),
    "whoami.text": (
        "姓名：{name}\n登录名：{login}\n角色：{roles}\n平台：{platform}\n语言：{language}",
        "Name: {name}\nLogin: {login}\nRoles: {roles}\nPlatform: {platform}\nLanguage: {language}",
    ),
    "lang.choose": ("请选择语言：", "Choose a language:"),
    "lang.set": ("语言已切换为中文。", "Language set to English."),
    "lang.bad": (
        "不支持的语言：{value}。可选：zh、en。",
        "Unsupported language: {value}. Use zh or en.",
    ),
    "bind.usage": ("用法：/bind 邀请码", "Usage: /bind CODE"),
    "bind.bound": (
        "绑定成功，{name}！发送 /help 查看可用命令。",
        "Bound, {name}! Send /help to see what you can do.",
    ),
    "bind.already": ("此账号已绑定，无需重复绑定。", "This account is already bound."),
    "bind.wrong": ("邀请码不正确。", "That invite code is not valid."),
    "bind.used": ("该邀请码已被使用。", "That invite code has already been used."),
    "bind.expired": ("该邀请码已过期，请向管理员重新索取。", "That invite code has expired."),
    "bind.locked": (
        "错误尝试次数过多，请一小时后再试。",
        "Too many wrong tries; please try again in an hour.",
    ),
    "invite.bad_role": ("未知角色：{role}", "Unknown role: {role}"),
    "invite.no_inspector": (
        "名录库中没有在职的执法证号 {cert}。",
        "No active inspector with certificate {cert}.",
    ),
    "invite.no_user": ("没有登录名为 {login} 的用户。", "No user with login {login}."),
    "invite.no_target": ("请指定执法证号或登录名。", "Give a certificate number or a login."),
    "cmd.invite": (
        "生成绑定邀请码（管理员）：/invite 角色 执法证号或登录名",
        "Issue an invite code (admins): /invite ROLE CERT_OR_LOGIN",
    ),
    "invite.usage": (
        "用法：/invite 角色 执法证号或登录名\n"
        "角色：admin（管理员）、coordinator（联席办协调员）、inspector（检查人员）、leader（领导）\n"
        "例如：/invite inspector 630201900001",
        "Usage: /invite ROLE CERT_OR_LOGIN\n"
        "Roles: admin, coordinator, inspector, leader\n"
        "Example: /invite inspector 630201900001",
    ),
    "invite.unknown_target": (
        "名录库中没有在职的执法证号 {target}，也没有登录名为 {target} 的用户。",
        "No active inspector with certificate {target} and no user with login {target}.",
    ),
    "invite.created": (
        "邀请码：{code}\n"
        "角色：{role}；对象：{target}\n"
        "有效期至 {expires}（北京时间），仅可使用一次。\n"
        "请对方在与机器人的私聊中发送：\n/bind {code}\n"
        "邀请码只显示这一次，请通过可靠渠道当面或电话转交，不要发到群里。",
        "Invite code: {code}\n"
        "Role: {role}; for: {target}\n"
        "Valid until {expires} (Beijing time), single use.\n"
        "Ask them to send this in a private chat with the bot:\n/bind {code}\n"
        "The code is shown only once; pass it on in person or by phone, never in a group.",
    ),
    "invite.inactive_user": (
        "用户 {login} 已停用，不能为其生成邀请码。",
        "User {login} is deactivated; no invite code can be issued for them.",
    ),
    "user.bad_login": (
        "登录名 {login} 不可用：只能使用字母、数字和 . _ -，以字母或数字开头，最多 64 个字符。",
        "The login {login} cannot be used: letters, digits and . _ - only, starting with a "
        "letter or digit, at most 64 characters.",
    ),
    "user.bad_name": (
        "请填写姓名（最多 {limit} 个字）。",
        "Give the person's name (at most {limit} characters).",
    ),
    "user.reviewer_department": (
        "审核员须指定所属部门（--department 部门编码）：审核员只审核本部门的部分。",
        "A reviewer needs a department (--department CODE): they review their department's "
        "parts only.",
    ),
    "user.bad_role": (
        "未知角色：{role}。可选角色：{roles}。",
        "Unknown role: {role}. The roles are: {roles}.",
    ),
    "user.cert_required": (
        "检查人员须用 --cert 指定名录库中的执法证号；办公室人员和领导不需要执法证号。",
        "An inspector needs --cert, the certificate number in the inspector directory; "
        "office staff and leaders need none.",
    ),
    "user.login_taken": ("登录名 {login} 已被使用。", "The login {login} is already taken."),
    "user.no_department": ("没有代码为 {code} 的部门。", "No department with code {code}."),
    "user.no_inspector": (
        "名录库中没有在职的执法证号 {cert}。",
        "No active inspector with certificate {cert} in the directory.",
    ),
    "user.cert_taken": (
        "执法证号 {cert} 已关联用户 {login}。",
        "Certificate {cert} is already linked to user {login}.",
    ),
    "user.department_mismatch": (
        "所填部门与名录库中执法证号 {cert} 的部门不一致。",
        "The department given differs from the directory's department of certificate {cert}.",
    ),
    "user.not_found": ("没有登录名为 {login} 的用户。", "No user with login {login}."),
    "user.already_inactive": ("用户 {login} 已停用。", "User {login} is already deactivated."),
    "reach.unbound": (
        "抽取结果（第 {draw} 号，{plan}）中有 {count} 名检查人员尚未绑定账号，"
        "他们的任务通知将在绑定后送达：\n{members}\n"
        "请管理员用 /invite inspector 执法证号 为其生成邀请码；发送 /outbox 查看等待中的消息。",
        "{count} team members of draw {draw} ({plan}) have no bound account yet; their "
        "assignments are delivered once they bind:\n{members}\n"
        "An admin issues their codes with /invite inspector CERT; /outbox lists what waits.",
    ),
    "cmd.people": (
        "查看人员账号绑定情况（/people [unbound]）",
        "Who has an account, where, last seen (/people [unbound])",
    ),
    "people.usage": (
        "用法：/people 或 /people unbound（只看未绑定的人员）",
        "Usage: /people, or /people unbound (only those without an account)",
    ),
    "people.none": (
        "名录库和用户中还没有人员。",
        "There is nobody in the directory or among the users yet.",
    ),
    "people.head": (
        "人员与账号：共 {total} 人，已绑定 {bound} 人（未绑定的列在前面）：",
        "People and accounts: {total} in all, {bound} bound (the unbound first):",
    ),
    "people.line": (
        "{name}｜{department}｜{who}｜{state}",
        "{name} | {department} | {who} | {state}",
    ),
    "people.bound": ("{platforms}，最近活动 {seen}", "{platforms}, last seen {seen}"),
    "people.never": ("无记录", "never"),
    "people.unbound": ("未绑定（用户 {login}）", "not bound (user {login})"),
    "people.no_user": ("未绑定（尚无用户）", "not bound (no user yet)"),
    "people.inactive": ("已停用", "deactivated"),
    "people.more": ("……另有 {count} 人未列出。", "... and {count} more."),
    "people.hint": (
        "未绑定的人员收不到通知；管理员可用 /invite 角色 执法证号或登录名 生成邀请码。",
        "Unbound people receive no messages; an admin issues a code with "
        "/invite ROLE CERT_OR_LOGIN.",
    ),
    "platform.console": ("控制台", "console"),
    "platform.telegram": ("Telegram", "Telegram"),
    "platform.wecom": ("企业微信", "WeCom"),
    "console.new_banner": (
        "联合抽查助手 控制台（尚未绑定）。请发送 /bind 邀请码 绑定账号；Ctrl-D 退出。",
        "JointCheck console (not bound yet). Send /bind CODE to bind your account; Ctrl-D quits.",
    ),
}
