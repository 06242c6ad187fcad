import { answerValuesOf, menuPathText } from '../../bot/answerValues';
import { ConfigError, loadConfig } from '../../bot/config';

test('by default: open 24/7, the upload limit, one account-security path for both phone answers', () => {
  const values = answerValuesOf(loadConfig({}));
  expect(values['zh-CN']).toEqual({
    supportHours: '7×24 小时',
    uploadLimit: '4 MB',
    menuAccountSecurity: '“我”→“账户安全”',
    menuBindPhone: '“绑定手机号”',
    menuChangePhone: '“更换手机号”',
  });
  expect(values['en-US']).toEqual({
    supportHours: '24/7',
    uploadLimit: '4 MB',
    menuAccountSecurity: '**Me** → **Account security**',
    menuBindPhone: '**Link phone number**',
    menuChangePhone: '**Change phone number**',
  });
});

test("the deployment's hours and menus, each language in its own words", () => {
  const values = answerValuesOf(
    loadConfig({
      HANDOFF_HOURS: 'mon-fri 09:00-21:00; sat,sun 10:00-18:00',
      APP_MENU_ACCOUNT_SECURITY_ZH: '我的 >设置> 账号与安全',
      APP_MENU_ACCOUNT_SECURITY_EN: 'Profile > Settings > Security',
      DIRECTLINE_MAX_UPLOAD_BYTES: String(1536 * 1024),
    }),
  );
  expect(values['zh-CN'].supportHours).toBe('北京时间周一至周五 09:00–21:00；周六、周日 10:00–18:00');
  expect(values['en-US'].supportHours).toBe('Monday to Friday 09:00–21:00; Saturday and Sunday 10:00–18:00 (Beijing time)');
  expect(values['zh-CN'].menuAccountSecurity).toBe('“我的”→“设置”→“账号与安全”');
  expect(values['en-US'].menuAccountSecurity).toBe('**Profile** → **Settings** → **Security**');
  expect(values['zh-CN'].uploadLimit).toBe('1.5 MB');
});

test('a menu path is labels separated by ">", nothing else', () => {
  expect(menuPathText('个人中心', 'zh-CN')).toBe('“个人中心”');
  for (const bad of ['我 >> 账户安全', '> 账户安全', '我 >', '{menuBindPhone}', 'x'.repeat(101)]) {
    expect(() => loadConfig({ APP_MENU_ACCOUNT_SECURITY_ZH: bad })).toThrow(ConfigError);
  }
  expect(() => loadConfig({ APP_MENU_CHANGE_PHONE_EN: '>' })).toThrow('APP_MENU_CHANGE_PHONE_EN=">" — expected menu labels separated by ">"');
});
